// What every activity's screens receive from the session shells (app/_components/session).
import type { ActivityStart } from "@/contract/protocol/activities";
import type { SessionOptions } from "@/contract/http/sessions";
import type { Ack, CurrentActivity, HostSnapshot, PlayerSnapshot, ProjectorSnapshot } from "@/contract/protocol/session";

export type ActivityOf<K extends CurrentActivity["kind"]> = Extract<CurrentActivity, { kind: K }>;
export type Emit = <T = unknown>(event: string, payload?: unknown) => Promise<Ack<T>>;
/** The current activity's live numbers from the counts message (e.g. `{ votes: 12 }`), when fresher than the snapshot. */
export type LiveNumbers = Record<string, number> | null;

export interface PhoneProps<K extends CurrentActivity["kind"]> {
  activity: ActivityOf<K>;
  snapshot: PlayerSnapshot;
  emit: Emit;
  live: LiveNumbers;
}

export interface ProjectorProps<K extends CurrentActivity["kind"]> {
  activity: ActivityOf<K>;
  snapshot: ProjectorSnapshot;
  live: LiveNumbers;
  /** People in the room now (fresher than the snapshot's count). */
  people: number;
}

export interface HostProps<K extends CurrentActivity["kind"]> {
  activity: ActivityOf<K>;
  snapshot: HostSnapshot;
  emit: Emit;
  live: LiveNumbers;
  /** Runs a host command and shows its error, if any. */
  act: (run: () => Promise<Ack<unknown>>) => Promise<void>;
  busy: boolean;
}

export interface HostStartProps {
  snapshot: HostSnapshot;
  options: SessionOptions | null;
  start: (start: ActivityStart) => Promise<void>;
  /** Something is running: nothing new can start. */
  disabled: boolean;
}
