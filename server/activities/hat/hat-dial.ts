// The instructor's dial: what shapes every hat in the class. The type and limits live in the
// protocol (phones render them); the defaults and comparisons live here.
import type { Dial } from "../../../contract/protocol/hat.ts";

export type { Dial } from "../../../contract/protocol/hat.ts";

export const DEFAULT_DIAL: Dial = { temperature: 1, topP: 1, topK: null };

export const sameDial = (a: Dial, b: Dial): boolean => a.temperature === b.temperature && a.topP === b.topP && a.topK === b.topK;
