import { useEffect, useState } from 'preact/hooks';

/** Moves focus to the element with this id once it has been rendered. */
export function useFocusTarget() {
  const [target, setTarget] = useState<string | null>(null);
  useEffect(() => {
    if (target) {
      document.getElementById(target)?.focus();
      setTarget(null);
    }
  }, [target]);
  return setTarget;
}
