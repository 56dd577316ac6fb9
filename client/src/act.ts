/**
 * The one way both UIs run a command a person asked for (the booking page's buttons, the staff
 * dashboard's actions): say it is under way, send it, and turn its answer into the UI's own
 * state: a sentence on success (a toast, the status line), the error on failure. What the UI
 * does with each is its own (`ActUi`); the order of the steps is the same everywhere.
 */
import type { ClientError, CommandResult } from './command';

export interface ActUi {
  /** Before sending (clear the last error, disable the buttons). */
  begin?(): void;
  /** As soon as the answer is in, before it is handled (enable the buttons again). */
  end?(): void;
  /** A success, in the UI's words. */
  say(text: string): void;
  /** A failure: the UI words it with the shared sentences and refreshes what it shows stale. */
  fail(error: ClientError): void;
  /** After a success was handled (re-read what the command changed). */
  done?(): void;
}

/** On success: the sentence to say, or a function that updates the UI and may answer one. */
export type OnOk<T> = string | ((data: T) => string | void);

/** Sends `command`'s request and handles its answer; resolves with the data, or undefined on failure. */
export type Act = <T>(command: () => Promise<CommandResult<T>>, onOk?: OnOk<T>) => Promise<T | undefined>;

export function createAct(ui: ActUi): Act {
  return async (command, onOk) => {
    ui.begin?.();
    const answer = await command();
    ui.end?.();
    if (!answer.ok) {
      ui.fail(answer.error);
      return undefined;
    }
    const text = typeof onOk === 'function' ? onOk(answer.data) : onOk;
    if (text) ui.say(text);
    ui.done?.();
    return answer.data;
  };
}
