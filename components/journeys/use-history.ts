"use client";

import { useCallback, useRef, useState } from "react";

const limit = 100;

/**
 * Undo and redo over snapshots of the canvas. `record` is called before a change with the
 * state as it is; edits to one field within a moment of each other (typing) share one step,
 * and `recordOnce` lets the several change batches of one deletion share one step too.
 */
export function useHistory<S>(current: () => S, restore: (snapshot: S) => void) {
  const [past, setPast] = useState<S[]>([]);
  const [future, setFuture] = useState<S[]>([]);
  const last = useRef<{ key: string; at: number } | null>(null);
  const once = useRef(false);

  const record = useCallback(
    (key?: string) => {
      const now = Date.now();
      if (key && last.current?.key === key && now - last.current.at < 1500) {
        last.current.at = now;
        return;
      }
      last.current = key ? { key, at: now } : null;
      const snapshot = current();
      setPast((stack) => [...stack.slice(-(limit - 1)), snapshot]);
      setFuture([]);
    },
    [current],
  );

  const recordOnce = useCallback(() => {
    if (once.current) return;
    once.current = true;
    setTimeout(() => (once.current = false), 0);
    record();
  }, [record]);

  const undo = useCallback(() => {
    if (past.length === 0) return;
    const previous = past[past.length - 1];
    const snapshot = current();
    setPast(past.slice(0, -1));
    setFuture((stack) => [...stack, snapshot]);
    last.current = null;
    restore(previous);
  }, [past, current, restore]);

  const redo = useCallback(() => {
    if (future.length === 0) return;
    const next = future[future.length - 1];
    const snapshot = current();
    setFuture(future.slice(0, -1));
    setPast((stack) => [...stack, snapshot]);
    last.current = null;
    restore(next);
  }, [future, current, restore]);

  return { record, recordOnce, undo, redo, canUndo: past.length > 0, canRedo: future.length > 0 };
}
