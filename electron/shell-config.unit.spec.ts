// The shell starts on the desk app the environment names, or refuses to start with a reason.
import { describe, expect, it } from 'vitest';
import { defaultDeskUrl, shellConfig } from './shell-config';

describe('the shell configuration', () => {
  it('loads the local desk app when nothing is set', () => {
    expect(shellConfig({}, [])).toEqual({
      deskUrl: defaultDeskUrl,
      deskOrigin: 'http://127.0.0.1:4984',
      kiosk: false,
    });
  });

  it('takes the desk app address from STAGEDOOR_DESK_URL', () => {
    const config = shellConfig({ STAGEDOOR_DESK_URL: 'https://desk.venue.example:8443/app/' }, []);
    expect(config.deskUrl).toBe('https://desk.venue.example:8443/app/');
    expect(config.deskOrigin).toBe('https://desk.venue.example:8443');
  });

  it.each([
    'file:///opt/stagedoor/index.html',
    'javascript:alert(1)',
    'data:text/html,hi',
    'ftp://venue.example/',
  ])('refuses to load %s', (url) => {
    expect(() => shellConfig({ STAGEDOOR_DESK_URL: url }, [])).toThrow(/http or https/);
  });

  it('refuses an address that is not one, or carries credentials', () => {
    expect(() => shellConfig({ STAGEDOOR_DESK_URL: 'not a url' }, [])).toThrow(/not an address/);
    expect(() => shellConfig({ STAGEDOOR_DESK_URL: 'http://admin:secret@127.0.0.1:4984/' }, [])).toThrow(
      /user name or password/,
    );
  });

  it('turns kiosk mode on with STAGEDOOR_KIOSK=1 or --kiosk, and off with 0 or nothing', () => {
    expect(shellConfig({ STAGEDOOR_KIOSK: '1' }, []).kiosk).toBe(true);
    expect(shellConfig({}, ['electron', 'main.cjs', '--kiosk']).kiosk).toBe(true);
    expect(shellConfig({ STAGEDOOR_KIOSK: '0' }, []).kiosk).toBe(false);
    expect(shellConfig({ STAGEDOOR_KIOSK: '' }, []).kiosk).toBe(false);
  });

  it('refuses a kiosk value it does not understand rather than guess for a gate device', () => {
    expect(() => shellConfig({ STAGEDOOR_KIOSK: 'gate' }, [])).toThrow(/STAGEDOOR_KIOSK must be 1 or 0/);
  });
});
