import type { ComponentChildren } from 'preact';
import type { Option } from './Field';

type GroupProps = {
  /** Prefix of the ids of the boxes; the first box gets exactly this id, for error links. */
  id: string;
  legend: string;
  options: Option[];
  hint?: string;
  error?: string | undefined;
  /** Lays the choices out side by side when there is room. */
  inline?: boolean;
};

function GroupFrame({
  id,
  legend,
  hint,
  error,
  inline,
  children,
}: Omit<GroupProps, 'options'> & { children: ComponentChildren }) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset class={error ? 'field choices field-error' : 'field choices'} aria-describedby={describedBy}>
      <legend>{legend}</legend>
      {hint ? (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="error-message" id={errorId}>
          <span class="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
      <div class={inline ? 'choice-list choice-list-inline' : 'choice-list'}>{children}</div>
    </fieldset>
  );
}

const boxId = (id: string, index: number) => (index === 0 ? id : `${id}-${index}`);

/** Several boxes, any of which may be ticked. */
export function CheckboxGroup({
  values,
  onValues,
  ...props
}: GroupProps & { values: string[]; onValues: (values: string[]) => void }) {
  const toggle = (value: string, on: boolean) => {
    const rest = values.filter((v) => v !== value);
    // Keep the order of the options, whatever the order of ticking.
    const next = on ? [...rest, value] : rest;
    onValues(props.options.map((o) => o.value).filter((v) => next.includes(v)));
  };
  return (
    <GroupFrame {...props}>
      {props.options.map((o, i) => (
        <div class="choice" key={o.value}>
          <input
            type="checkbox"
            id={boxId(props.id, i)}
            name={props.id}
            value={o.value}
            checked={values.includes(o.value)}
            onChange={(e) => toggle(o.value, e.currentTarget.checked)}
          />
          <label for={boxId(props.id, i)}>{o.label}</label>
        </div>
      ))}
    </GroupFrame>
  );
}

/** One choice among several, as radio buttons (arrow keys move between them). */
export function RadioGroup({
  value,
  onValue,
  ...props
}: GroupProps & { value: string; onValue: (value: string) => void }) {
  return (
    <GroupFrame {...props}>
      {props.options.map((o, i) => (
        <div class="choice" key={o.value}>
          <input
            type="radio"
            id={boxId(props.id, i)}
            name={props.id}
            value={o.value}
            checked={value === o.value}
            onChange={(e) => {
              if (e.currentTarget.checked) onValue(o.value);
            }}
          />
          <label for={boxId(props.id, i)}>{o.label}</label>
        </div>
      ))}
    </GroupFrame>
  );
}

/** A single tick box with its label and an optional hint. */
export function Checkbox({
  id,
  label,
  checked,
  onChecked,
  hint,
}: {
  id: string;
  label: string;
  checked: boolean;
  onChecked: (checked: boolean) => void;
  hint?: string;
}) {
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div class="field choice">
      <input
        type="checkbox"
        id={id}
        name={id}
        checked={checked}
        aria-describedby={hintId}
        onChange={(e) => onChecked(e.currentTarget.checked)}
      />
      <label for={id}>{label}</label>
      {hint ? (
        <p class="hint choice-hint" id={hintId}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}
