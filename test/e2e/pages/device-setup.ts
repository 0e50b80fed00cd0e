// Setting a device up as a person does: the enrolment code on the set-up screen, then a person of a fitting role signs
// in online and chooses a PIN. Shared by the e2e fixture and the benchmarks' harness.
import type { Page } from '@playwright/test';
import type { DeviceRole } from '../../../domain/users/devices';
import { SetupPage } from './setup-page';
import { SignInPage } from './sign-in-page';
import type { Credentials } from './sign-in-page';

export async function setUpDevice(
  page: Page,
  name: string,
  options: {
    device: DeviceRole;
    person: Credentials;
    enrolmentCode: (role: DeviceRole, name: string) => Promise<string>;
    /** Told the device's own secret, for a check that no secret leaks. */
    noteSecret?: (secret: string) => void;
  },
): Promise<void> {
  const setup = new SetupPage(page);
  await setup.enrol(await options.enrolmentCode(options.device, name));
  options.noteSecret?.(await setup.deviceSecret());
  await new SignInPage(page).signInOnline(options.person);
}
