// Device facts as this desk writes them: a ULID made here, the event's stream, and who (the person signed in), where
// (this device's enrolled id) and when.
import { monotonicFactory } from 'ulid';
import { factStream } from '../../domain/desk/databases';
import { currentVersion } from '../../domain/events/catalogue';
import type { DataOf, FactDoc, FactType } from '../../domain/events/catalogue';
import type { Device } from '../device';
import { signedIn } from '../session/session';

// Monotonic: two facts made in one millisecond still sort in the order they were made.
export const newFactId = monotonicFactory();

export function newFact<T extends FactType>(
  id: string,
  type: T,
  data: DataOf<T>,
  device: Device,
  now: Date = new Date(),
): FactDoc<T> {
  return {
    _id: id,
    type,
    v: currentVersion(type),
    stream: factStream(type, data),
    data,
    // A person's action starts its own causal chain: it is its own cause and correlation.
    meta: {
      deviceId: device.deviceId,
      userId: signedIn().userId,
      recordedAt: now.toISOString(),
      correlationId: id,
      causationId: id,
    },
  };
}
