// Every code an ack or a refused handshake can carry, with the sentence the pages show. One table
// for the session and all its activities, so a code means the same thing everywhere.
import { ANSWER_MAX_CHARS, GUESS_MAX_CHARS, PROMPT_MAX_CHARS, TEMPLATE_MAX_CHARS } from "./limits.ts";

export const errorText = {
  bad_payload: "The request was malformed. Reload the page and try again.",
  protocol_mismatch: "This page is out of date. Reload it to continue.",
  bad_code: "Room codes are 6 characters from the projector, like 7KQ4MX.",
  room_not_found: "No room has that code. Check the code on the projector.",
  rate_limited: "Too many attempts from this network. Wait a minute and try again.",
  unauthorized: "Sign in as the instructor who created this room.",
  not_host: "Only the host can do that.",
  not_joined: "Join the room with a nickname first.",
  already_joined: "You have already joined this room.",
  participant_unknown: "This phone's place in the room was not found. Join again with a nickname.",
  kicked: "The host removed you from this room.",
  room_locked: "The room is locked: the host is not letting new people in.",
  room_full: "The room is full. Ask the host to make room.",
  room_ended: "This session has ended.",
  paused: "The host paused the room. Wait a moment.",
  nickname_empty: "Choose a nickname with at least one visible letter.",
  nickname_taken: "Someone in the room already has that name.",
  participant_not_found: "No one in this room has that id.",
  activity_running: "Something is still running. Finish it first.",
  no_activity: "Nothing is running right now.",
  plan_none: "This session has no lesson plan.",
  plan_done: "That was the last step of the lesson plan.",
  no_round: "There is no round to do that with.",
  busy: "The model is still working on the last request.",
  voting_closed: "Voting for this round has closed.",
  not_voting: "The round is not taking votes right now.",
  not_revealed: "Close the round and show the reveal first.",
  already_picked: "The next token of this round has already been chosen.",
  compare_round: "Compare rounds have no votes and no next token.",
  guess_empty: "Type a guess first.",
  guess_too_long: `Keep guesses under ${GUESS_MAX_CHARS} characters.`,
  prompt_too_long: `Keep prompts under ${PROMPT_MAX_CHARS} characters, so the back of the room can read them.`,
  no_text: "There is no text to continue yet. Type a prompt.",
  prompt_not_found: "There is no prepared prompt with that number.",
  no_votes: "Nobody voted, so there is no class favourite. Pick the model's top token or a sample instead.",
  no_chat_template: "This model has no chat template. Choose the instruction-tuned model to compare raw and wrapped.",
  model_not_found: "That model is not in the registry.",
  model_unavailable: "The model is not ready. Check the server's health page.",
  model_prompt_too_long: "The prompt is longer than the model can read.",
  inference_failed: "The model could not answer. Try again.",
  no_game: "There is no hat game in this room right now.",
  game_finished: "This hat game has finished.",
  blank_not_open: "The host has not opened this blank yet.",
  blank_out_of_order: "Fill the earlier blanks first.",
  template_not_found: "There is no built-in template with that name.",
  template_blanks: "A template needs 2 to 6 blanks, each written as ___ (three underscores).",
  template_start: "Start the template with a few words before the first blank.",
  template_too_long: `Keep the template under ${TEMPLATE_MAX_CHARS} characters.`,
  template_max_tokens: "A blank can take 1 to 8 tokens.",
  last_blank: "All blanks are open already.",
  no_calibration: "There is no calibration game in this room right now.",
  calibration_finished: "This calibration game has finished.",
  question_set_not_found: "There is no built-in question set with that name.",
  question_closed: "That question has closed. Look at the one on the projector now.",
  last_question: "That was the last question. Show the reveal.",
  answer_empty: "Type or pick an answer, or choose \"I don't know\".",
  answer_too_long: `Keep answers under ${ANSWER_MAX_CHARS} characters.`,
  not_a_choice: "Pick one of the answers on the screen.",
  internal: "Something went wrong on the server.",
} as const;

export type ErrorCode = keyof typeof errorText;

export const isErrorCode = (value: unknown): value is ErrorCode => typeof value === "string" && Object.hasOwn(errorText, value);

/** The one shape of every ack: data on success, a stable code and its sentence on failure. */
export type Ack<T> = { ok: true; data: T } | { ok: false; code: ErrorCode; message: string };
export type AckCallback<T> = (response: Ack<T>) => void;

export const ackOk = <T>(data: T): Ack<T> => ({ ok: true, data });
export const ackError = (code: ErrorCode): Ack<never> => ({ ok: false, code, message: errorText[code] });

/** Results inside the server: the same codes, no sentence yet. */
export type Outcome<T> = { ok: true; data: T } | { ok: false; code: ErrorCode };

/**
 * The code a failed zod parse stands for. Schemas name a code as the message of a check
 * (`z.string().max(300, "prompt_too_long")`), so a limit is reported as that limit; anything else
 * is `bad_payload`.
 */
export function codeOfIssues(issues: readonly { message: string }[]): ErrorCode {
  const named = issues.find((i) => isErrorCode(i.message));
  return named ? (named.message as ErrorCode) : "bad_payload";
}
