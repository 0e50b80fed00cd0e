// Page model of the Orders screen: carts across concerts, delivery, confirmation, the order's progress, the cash or
// the card, and refunds of the order's tickets.
import { expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';

export type Address = {
  recipient: string;
  line1: string;
  postalCode: string;
  city: string;
  country: string;
};

/** The steps an order shows (data-step), as the desk's order view names them. */
import type { OrderStep } from '../../../domain/desk/order-view';

export type { OrderStep };

export class OrdersPage {
  constructor(readonly page: Page) {}

  async open(): Promise<this> {
    await this.page
      .getByRole('navigation', { name: 'Screens' })
      .getByRole('link', { name: 'Orders' })
      .click();
    await expect(this.page.getByRole('heading', { name: 'Cart', level: 2 })).toBeVisible();
    return this;
  }

  /** Adds a line to the cart being served (a cart is opened first if none is), once the concert is on sale here. */
  async add(concert: string, level: string, quantity: number): Promise<void> {
    const { page } = this;
    const picker = page.getByLabel('Concert', { exact: true });
    const option = picker.locator('option:not([disabled])', { hasText: concert });
    await expect(option).toHaveCount(1, { timeout: 15_000 });
    await picker.selectOption((await option.getAttribute('value')) ?? '');
    await page.getByLabel('Level', { exact: true }).selectOption(level);
    const before = await this.quantityOf(concert, level);
    const field = page.getByLabel('Quantity', { exact: true });
    await field.fill(String(quantity));
    await field.press('Enter');
    await expect(this.line(concert, level).getByRole('textbox')).toHaveValue(String(before + quantity));
  }

  lines(): Locator {
    return this.page.getByTestId('cart-line');
  }

  line(concert: string, level: string): Locator {
    return this.lines()
      .filter({ hasText: concert })
      .filter({ has: this.page.getByRole('rowheader', { name: level, exact: true }) });
  }

  private async quantityOf(concert: string, level: string): Promise<number> {
    const line = this.line(concert, level);
    if ((await line.count()) === 0) return 0;
    return Number(await line.getByRole('textbox').inputValue());
  }

  async changeQuantity(concert: string, level: string, quantity: number): Promise<void> {
    const field = this.line(concert, level).getByRole('textbox');
    await field.fill(String(quantity));
    await field.press('Enter');
    await expect(field).toHaveValue(String(quantity));
  }

  async remove(concert: string, level: string): Promise<void> {
    await this.line(concert, level)
      .getByRole('button', { name: `Remove ${level}` })
      .click();
    await expect(this.line(concert, level)).toHaveCount(0);
  }

  total(): Locator {
    return this.page.getByTestId('cart-total');
  }

  cartTabs(): Locator {
    return this.page.getByRole('navigation', { name: 'Open carts' }).getByRole('button');
  }

  /** Parks the cart being served and opens a new one, from the keyboard (Alt+N) or with the button. */
  async newCart(how: 'keyboard' | 'button' = 'keyboard'): Promise<void> {
    const before = await this.cartTabs().count();
    if (how === 'keyboard') await this.page.getByLabel('Quantity', { exact: true }).press('Alt+n');
    else await this.page.getByRole('button', { name: 'New cart' }).click();
    await expect(this.cartTabs()).toHaveCount(before + 1);
    await expect(this.cartTabs().last()).toHaveAttribute('aria-pressed', 'true');
  }

  async switchCart(n: number): Promise<void> {
    const tab = this.cartTabs().nth(n - 1);
    await tab.click();
    await expect(tab).toHaveAttribute('aria-pressed', 'true');
  }

  async chooseEmail(email: string): Promise<void> {
    await this.page.getByRole('radio', { name: 'Email' }).check();
    await this.page.getByLabel('Email address').fill(email);
  }

  async chooseCourier(address: Address): Promise<void> {
    const { page } = this;
    await page.getByRole('radio', { name: 'Courier' }).check();
    await page.getByLabel('Recipient').fill(address.recipient);
    await page.getByLabel('Street and number').fill(address.line1);
    await page.getByLabel('Postal code').fill(address.postalCode);
    await page.getByLabel('City', { exact: true }).fill(address.city);
    await page.getByLabel('Country code').fill(address.country);
  }

  async choosePrint(): Promise<void> {
    await this.page.getByRole('radio', { name: 'Print at the desk' }).check();
  }

  deliveryProblem(): Locator {
    return this.page.getByRole('alert').filter({ hasText: 'Fix the delivery' });
  }

  /** Confirms the cart and returns the order's number as the desk shows it. */
  async confirm(): Promise<string> {
    await this.page.getByRole('button', { name: 'Confirm order' }).click();
    const number = this.page.getByTestId('order-number');
    await expect(number).toHaveText(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    return (await number.textContent()) ?? '';
  }

  order(): Locator {
    return this.page.getByTestId('order');
  }

  async expectStep(step: OrderStep | RegExp, timeout = 20_000): Promise<void> {
    await expect(this.order()).toHaveAttribute('data-step', step, { timeout });
  }

  /** Takes cash for the payment due and checks the change the desk gives back. */
  async takeCash(tendered: string, change: RegExp): Promise<void> {
    const payment = this.page.getByRole('form', { name: 'Cash payment' });
    await payment.getByLabel('Cash tendered').fill(tendered);
    await expect(payment.getByTestId('payment-change')).toHaveText(change);
    await payment.getByRole('button', { name: /Take .* in cash/ }).click();
  }

  /**
   * Pays the amount due by card: the desk asks the sync server for the order's card payment, then confirms it with the
   * test card (offered only against the local Stripe-compatible server, which approves it), as a card terminal would.
   * The order moves on when the gateway's webhook reaches the sync server.
   */
  async payByCard(amount: RegExp): Promise<void> {
    const card = this.page.getByTestId('card-payment');
    const pay = card.getByRole('button', { name: /^Pay .* by card$/ });
    await expect(pay).toHaveAccessibleName(amount);
    await pay.click();
    await expect(card.getByTestId('card-pending')).toBeVisible();
    await card.getByRole('button', { name: 'Confirm with the test card' }).click();
  }

  /** The order's payment as it shows once it is no longer due (its data-status: captured, refunded, …). */
  payment(): Locator {
    return this.order().getByTestId('payment');
  }

  /** The order's tickets as the refunds section lists them (a refunded one shows as such). */
  refundableTickets(): Locator {
    return this.order().getByTestId('refund-ticket');
  }

  /** Refunds the first `count` tickets not yet refunded, in cash or to the card, and returns their ids. */
  async refundTickets(count: number, method: 'cash' | 'card', reason: string): Promise<string[]> {
    const section = this.order().getByTestId('order-refunds');
    const open = this.refundableTickets().filter({
      has: this.page.getByRole('checkbox', { disabled: false }),
    });
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const ticket = open.nth(i);
      ids.push((await ticket.getAttribute('data-ticket')) ?? '');
      await ticket.getByRole('checkbox').check();
    }
    await section.getByLabel('Reason').fill(reason);
    const button = method === 'card' ? /^Refund .* to the card$/ : /^Refund .* in cash$/;
    await section.getByRole('button', { name: button }).click();
    return ids;
  }

  /** The order's refunds, each with its data-status (asked, accepted, refunded, refused). */
  refunds(): Locator {
    return this.order().getByTestId('refund');
  }

  async confirmAgain(): Promise<string> {
    const before = await this.page.getByTestId('order-number').textContent();
    await this.page.getByRole('button', { name: 'Confirm the cart again' }).click();
    const number = this.page.getByTestId('order-number');
    await expect(number).not.toHaveText(before ?? '');
    await expect(number).toHaveText(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    return (await number.textContent()) ?? '';
  }

  async find(number: string): Promise<void> {
    await this.page.getByLabel('Order number').fill(number);
    await this.page.getByRole('button', { name: 'Find' }).click();
  }

  todayOrder(number: string): Locator {
    return this.page
      .getByTestId('today-order')
      .filter({ has: this.page.getByRole('button', { name: number, exact: true }) });
  }
}
