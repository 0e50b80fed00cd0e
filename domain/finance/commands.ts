// The Finance context's commands, all four aggregates' together (invoice, numbering, financial record, cash drawer), as
// one union and as data: the rule set of who may do what is checked against the list (users/permissions).
import type { ListsAll } from '../shared/command-types';
import type { CashDrawerCommand } from './cash-drawer';
import type { FinancialRecordCommand } from './financial-record';
import type { InvoiceCommand } from './invoice';
import type { NumberingCommand } from './invoice-numbering';

export type FinanceCommand = InvoiceCommand | NumberingCommand | FinancialRecordCommand | CashDrawerCommand;

export const financeCommandTypes = [
  'CreateInvoice',
  'RecordInvoicePayment',
  'CancelInvoice',
  'IssueCreditNote',
  'AssignInvoiceNumber',
  'OpenFinancialRecord',
  'RecordCustomerPayment',
  'CompleteCustomerPayment',
  'FailCustomerPayment',
  'RecordCustomerRefund',
  'OpenShift',
  'RecordCashSale',
  'RecordCashRefund',
  'PayCashIn',
  'PayCashOut',
  'CloseShift',
] as const satisfies readonly FinanceCommand['type'][];
export const financeCommandTypesComplete: ListsAll<FinanceCommand['type'], typeof financeCommandTypes> = true;
