/** Properties {@link h} sets: a class, `part` names and other attributes. */
export interface ElementProps {
  /** The class and the `part` name at once (most elements are styled and exposed under one name). */
  readonly name?: string;
  readonly class?: string;
  readonly part?: string;
  readonly attrs?: Readonly<Record<string, string>>;
}

/**
 * Makes an element with text children set as text (never parsed as HTML), so offer titles and
 * seller names from the API cannot inject markup. `props` as a string is {@link ElementProps.name}.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: ElementProps | string = {},
  ...children: MaybeNode[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  const {
    name,
    class: className = name,
    part = name,
    attrs = {},
  } = typeof props === 'string' ? { name: props } : props;
  if (className) el.className = className;
  if (part) el.setAttribute('part', part);
  for (const [attribute, value] of Object.entries(attrs)) el.setAttribute(attribute, value);
  el.append(...present(children));
  return el;
}

/** A node, or nothing for a part a state does not show. */
export type MaybeNode = Node | string | null | false;

/** The nodes among `items`, for `append` and `replaceChildren`. */
export function present(items: readonly MaybeNode[]): (Node | string)[] {
  return items.filter((item): item is Node | string => item !== null && item !== false);
}

/** Sets an element's text only when it changed, so unchanged timers and stock cost no layout. */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

/**
 * A button that stays focusable while it cannot be used (`aria-disabled`, not `disabled`), so
 * keyboard focus is not lost while a step is in flight.
 */
export function button(
  label: string,
  kind: 'primary' | 'secondary',
  name: string,
  onPress: (() => void) | null,
): HTMLButtonElement {
  const el = h(
    'button',
    {
      class: `button button-${kind}`,
      part: `button button-${kind} ${name}`,
      attrs: { type: 'button', 'data-action': name },
    },
    label,
  );
  if (onPress === null) el.setAttribute('aria-disabled', 'true');
  el.addEventListener('click', () => {
    if (el.getAttribute('aria-disabled') !== 'true') onPress?.();
  });
  return el;
}
