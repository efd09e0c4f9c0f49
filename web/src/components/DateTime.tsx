import { formatDateTime } from '../time';

/** A moment, in the viewer's time zone with the zone named. */
export function DateTime({ iso }: { iso: string }) {
  return <time dateTime={iso}>{formatDateTime(iso)}</time>;
}
