// The scanner's book on the screen: kept by domain/desk/scanner-log.ts as the local log grows, never folded again
// from the whole log. The store's logs grow at their end (renderer/store/log-cursor.ts): the book reads on from where
// it stopped.
import { useEffect, useMemo, useState } from 'react';
import { scannerLog } from '../../domain/desk/scanner-log';
import type { ScannerLog } from '../../domain/desk/scanner-log';
import type { DeskStore } from '../store/desk-store';
import { logCursor } from '../store/log-cursor';

/** The concert's scanner log for this device, fed with what the store gains; re-renders when the book changed. */
export function useScannerLog(store: DeskStore, deviceId: string, concertId: string): ScannerLog {
  const held = useMemo(() => {
    const log = scannerLog(deviceId, concertId);
    const news = logCursor(() => store.concertDocs());
    const start = performance.now();
    log.add(news());
    // The first fold reads the whole concert: measured for the cold-start benchmark (bench/scan.bench.ts).
    performance.measure('stagedoor:scanner-fold', { start, end: performance.now() });
    return { log, news };
  }, [store, deviceId, concertId]);
  const [, setVersion] = useState(0);
  useEffect(() => {
    const catchUp = () => {
      if (held.log.add(held.news())) setVersion((v) => v + 1);
    };
    catchUp();
    return store.subscribe(catchUp);
  }, [store, held]);
  return held.log;
}
