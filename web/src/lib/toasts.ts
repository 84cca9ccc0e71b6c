/** Short notices that come and go (step done, time running out, session stopping), read out by an aria-live region. */
export type ToastTone = "info" | "success" | "warning";

export interface Toast {
  id: number;
  message: string;
  tone: ToastTone;
}

/** How long a toast stays. */
export const TOAST_MS = 6000;

type Listener = (toasts: readonly Toast[]) => void;

let nextId = 1;
let toasts: Toast[] = [];
const listeners = new Set<Listener>();
const timers = new Map<number, ReturnType<typeof setTimeout>>();

function emit() {
  for (const l of [...listeners]) l(toasts);
}

/** Shows a toast; the same message already shown is not repeated. Returns its id. */
export function toast(message: string, tone: ToastTone = "info"): number {
  const same = toasts.find((t) => t.message === message);
  if (same) return same.id;
  const t: Toast = { id: nextId++, message, tone };
  toasts = [...toasts.slice(-3), t];
  timers.set(t.id, setTimeout(() => dismissToast(t.id), TOAST_MS));
  emit();
  return t.id;
}

export function dismissToast(id: number): void {
  clearTimeout(timers.get(id));
  timers.delete(id);
  const before = toasts.length;
  toasts = toasts.filter((t) => t.id !== id);
  if (toasts.length !== before) emit();
}

export function onToasts(listener: Listener): () => void {
  listeners.add(listener);
  listener(toasts);
  return () => listeners.delete(listener);
}

export function currentToasts(): readonly Toast[] {
  return toasts;
}
