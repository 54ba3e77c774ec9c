/** Properties {@link h} sets: a class, `part` names and other attributes. */
export interface ElementProps {
  readonly class?: string;
  readonly part?: string;
  readonly attrs?: Readonly<Record<string, string>>;
}

/**
 * Makes an element with text children set as text (never parsed as HTML), so offer titles and
 * seller names from the API cannot inject markup.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: ElementProps = {},
  ...children: MaybeNode[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.part) el.setAttribute('part', props.part);
  for (const [name, value] of Object.entries(props.attrs ?? {})) el.setAttribute(name, value);
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
