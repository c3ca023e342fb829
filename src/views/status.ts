import { textOf, type ToolResult } from './bridge.js';

/** Replaces the view with an alert saying `text`. */
export function showError(app: HTMLElement, text: string): void {
  const p = document.createElement('p');
  p.className = 'status error';
  p.setAttribute('role', 'alert');
  p.textContent = text;
  app.replaceChildren(p);
}

/** The structured result when the call succeeded and carries `key`; otherwise shows the tool's own error text (it says what to do), or `fallback`, and returns undefined. */
export function dataOrError<T>(app: HTMLElement, result: ToolResult, key: string, fallback: string): T | undefined {
  const data = result.structuredContent;
  if (!result.isError && data && key in data) return data as T;
  showError(app, textOf(result) || fallback);
  return undefined;
}

/** A view's result handling: each good result is drawn and kept for redraws, an error is shown instead. */
export function resultView<T>(
  app: HTMLElement,
  key: string,
  fallback: string,
  draw: (data: T) => void,
): { show(result: ToolResult): void; redraw(): void; last(): T | undefined } {
  let last: T | undefined;
  return {
    show(result) {
      const data = dataOrError<T>(app, result, key, fallback);
      if (!data) return;
      last = data;
      draw(data);
    },
    redraw: () => last !== undefined && draw(last),
    last: () => last,
  };
}
