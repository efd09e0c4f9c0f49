import { useLayoutEffect, useState } from 'preact/hooks';

/**
 * Moves focus to the element with this id once it has been rendered: in a
 * layout effect, in the same task as the render, so a keyboard user's next
 * key never lands on the element focus is leaving (a plain effect waits for
 * the next frame).
 */
export function useFocusTarget() {
  const [target, setTarget] = useState<string | null>(null);
  useLayoutEffect(() => {
    if (target) {
      document.getElementById(target)?.focus();
      setTarget(null);
    }
  }, [target]);
  return setTarget;
}
