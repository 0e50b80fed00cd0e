// Debian's Chromium as every browser suite here launches it: headless, and with no background traffic (this
// machine's network is closed, and Chromium's own connections would otherwise be refused by the dozen).
export const chromiumLaunchOptions = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};
