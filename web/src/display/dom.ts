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
