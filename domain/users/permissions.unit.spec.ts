// The rule set of who may do what: the choices it encodes, its agreement with the event catalogue and with the
// commands the contexts define, and the guard deciders call.
import { describe, expect, it } from 'vitest';
import { DomainError } from '../shared/decider';
import { eventCatalogue } from '../events/catalogue';
import type { Role } from '../events/catalogue';
import type { ConcertCommand } from '../concert/concert';
import type { NotificationCommand } from '../notifications/notifications';
import type { LivestreamCommand } from '../streaming/streaming';
import { roles } from './events';
import type { UsersCommand } from './users';
import {
  authorityActions,
  authorize,
  may,
  permissions,
  PermissionDenied,
  rolesThatMay,
  viewerActions,
} from './permissions';

// Every command type of the contexts this rule set covers; the type checker keeps these lists complete.
const usersCommands: Record<UsersCommand['type'], true> = {
  RegisterUser: true,
  ChangeUserRole: true,
  DeactivateUser: true,
  ReactivateUser: true,
  ResetUserCredential: true,
};
const concertCommands: Record<ConcertCommand['type'], true> = {
  CreateConcert: true,
  UpdateConcertDetails: true,
  UpdateTicketLevels: true,
  PublishConcert: true,
  UnpublishConcert: true,
  CancelConcert: true,
};
const notificationCommands: Record<NotificationCommand['type'], true> = {
  RequestNotification: true,
  RecordNotificationSent: true,
  RecordNotificationFailure: true,
  RetryNotification: true,
};
const livestreamCommands: Record<LivestreamCommand['type'], true> = {
  ScheduleLivestream: true,
  StartLivestream: true,
  EndLivestream: true,
  CancelLivestream: true,
  GrantViewerAccess: true,
  RevokeViewerAccess: true,
  StartViewerSession: true,
  HeartbeatViewerSession: true,
  EndViewerSession: true,
  ExpireViewerSessions: true,
};
const keys = (record: object) => Object.keys(record);

const factTypes = Object.entries(eventCatalogue)
  .filter(([, entry]) => entry.kind === 'fact')
  .map(([type]) => type);

describe('the rule set', () => {
  it('lets only admins manage users', () => {
    for (const command of keys(usersCommands)) expect(rolesThatMay(command)).toEqual(['admin']);
  });

  it('lets admins and organizers manage concerts and their livestreams', () => {
    for (const command of [
      ...keys(concertCommands),
      'ScheduleLivestream',
      'StartLivestream',
      'EndLivestream',
      'CancelLivestream',
      'GrantAllotment',
    ])
      expect(rolesThatMay(command)).toEqual(['admin', 'organizer']);
  });

  it('lets the desk sell, refund, deliver and open and close its shift', () => {
    for (const action of [
      'AddCartItem',
      'ConfirmCart',
      'SaleRecorded',
      'InitiatePayment',
      'RefundPayment',
      'PrintTicket',
      'EmailTicket',
      'OpenShift',
      'CloseShift',
      'RecordCashSale',
    ])
      expect(rolesThatMay(action)).toEqual(['desk']);
  });

  it('lets the scanner scan, and no one else', () => {
    for (const action of ['ScanTicket', 'TicketScanned']) expect(rolesThatMay(action)).toEqual(['scanner']);
  });

  it('lets the manager read the money and approve refunds, but not sell', () => {
    for (const action of ['ViewFinanceReports', 'ExportFinanceReports', 'ViewShiftReports', 'ApproveRefund'])
      expect(rolesThatMay(action)).toEqual(['manager']);
    expect(may('manager', 'SaleRecorded')).toBe(false);
    expect(may('manager', 'RefundPayment')).toBe(false);
  });

  it('lets a desk or an admin retry a failed notification', () => {
    expect(rolesThatMay('RetryNotification')).toEqual(['admin', 'desk']);
  });

  it('keeps the admin out of the till: no selling, scanning or reading the money', () => {
    for (const action of [
      'SaleRecorded',
      'RefundPayment',
      'ScanTicket',
      'ViewFinanceReports',
      'ApproveRefund',
    ])
      expect(may('admin', action)).toBe(false);
  });

  it('grants nothing to an unknown role or for an unknown action', () => {
    expect(may('fan', 'ScanTicket')).toBe(false);
    expect(may('admin', 'DropDatabase')).toBe(false);
    expect(may('constructor', 'toString')).toBe(false);
    expect(rolesThatMay('DropDatabase')).toEqual([]);
  });

  it('grants what the server or a viewer does to no role', () => {
    for (const action of [...authorityActions, ...viewerActions]) expect(rolesThatMay(action)).toEqual([]);
  });

  it('lists each action once per role', () => {
    for (const role of roles) expect(new Set(permissions[role]).size).toBe(permissions[role].length);
  });

  it('agrees with the event catalogue on who may write each device fact', () => {
    for (const type of factTypes) {
      const writers = [...eventCatalogue[type as keyof typeof eventCatalogue].writers].sort();
      expect({ type, roles: [...rolesThatMay(type)].sort() }).toEqual({ type, roles: writers });
    }
  });

  it('places every command of the users, concert, notification and streaming contexts exactly once', () => {
    const placed = (action: string) =>
      [
        rolesThatMay(action).length > 0,
        (authorityActions as readonly string[]).includes(action),
        (viewerActions as readonly string[]).includes(action),
      ].filter(Boolean).length;
    for (const command of [
      ...keys(usersCommands),
      ...keys(concertCommands),
      ...keys(notificationCommands),
      ...keys(livestreamCommands),
    ])
      expect({ command, placed: placed(command) }).toEqual({ command, placed: 1 });
  });
});

describe('the guard', () => {
  const actor = (role: Role, active = true) => ({ userId: 'u1', role, active });

  const refusal = (run: () => unknown): PermissionDenied => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(PermissionDenied);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as Error).message).toMatch(/^[A-Z"].*[.!?]$/);
      return error as PermissionDenied;
    }
    throw new Error('expected a refusal');
  };

  it('returns the actor who may act', () => {
    expect(authorize(actor('organizer'), 'PublishConcert')).toEqual(actor('organizer'));
  });

  it('refuses no one signed in', () => {
    expect(refusal(() => authorize(undefined, 'PublishConcert')).code).toBe('unknown_actor');
  });

  it('refuses a deactivated user, whatever their role', () => {
    expect(refusal(() => authorize(actor('admin', false), 'RegisterUser')).code).toBe('actor_deactivated');
  });

  it('refuses a role without the permission, naming the roles that have it', () => {
    const error = refusal(() => authorize(actor('desk'), 'CancelConcert'));
    expect(error.code).toBe('not_permitted');
    expect(error.message).toBe(
      'The desk role may not do "CancelConcert": ask a user with the admin or organizer role.',
    );
    expect(refusal(() => authorize(actor('desk'), 'ApproveRefund')).message).toContain('the manager role');
    expect(refusal(() => authorize(actor('desk'), 'ViewAttendance')).message).toContain(
      'the organizer or manager role',
    );
  });

  it('says when only the server or a viewer does it', () => {
    expect(refusal(() => authorize(actor('admin'), 'IssueTickets')).message).toContain(
      'done by the box office server itself',
    );
    expect(refusal(() => authorize(actor('admin'), 'StartViewerSession')).message).toContain(
      "done by a viewer's player",
    );
    expect(refusal(() => authorize(actor('admin'), 'DropDatabase')).message).toBe(
      'No role may do "DropDatabase": it is not an action of this box office.',
    );
  });
});
