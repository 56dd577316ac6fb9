/** A tiny element builder (the display is plain DOM: no framework in its bundle). */
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) if (value !== undefined) el.setAttribute(name, value);
  for (const child of children) if (child !== null && child !== undefined && child !== false) el.append(child);
  return el;
}

export function button(text: string, className: string, onClick: () => void, disabled: boolean): HTMLButtonElement {
  const el = h('button', { type: 'button', class: className }, text);
  el.disabled = disabled;
  el.addEventListener('click', onClick);
  return el;
}

/**
 * Shrinks `el`'s type until its longest word fits its width (a state word such as
 * "d’enregistrement" at full size is wider than its column at some sizes). Through the CSSOM,
 * which the page's Content-Security-Policy allows (a style attribute it would not).
 */
export function fitWidth(el: HTMLElement, minPx: number): void {
  el.style.fontSize = '';
  let size = parseFloat(getComputedStyle(el).fontSize);
  while (el.scrollWidth > el.clientWidth + 0.5 && size > minPx) {
    size = Math.max(minPx, Math.floor(size * 0.92));
    el.style.fontSize = `${size}px`;
  }
}
