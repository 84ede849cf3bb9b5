import type { PersonaTuning } from './chat-settings.js';
import type { Persona } from './persona.js';
import type { TuningLimit } from './persona-phrases.js';

/**
 * The persona as a chat tuned it: the reply length and emoji rule it picked
 * and its own style lines after the persona's, each only as far as the
 * persona's `tunable` allows (a tuning made for another persona, or before
 * the operator narrowed the limits, is applied only where it still fits).
 * Name, version and character never change.
 */
export function tunedPersona(persona: Persona, tuning: PersonaTuning | undefined): Persona {
  if (tuning === undefined) return persona;
  const { tunable } = persona;
  const lines = (tuning.styleLines ?? []).slice(0, tunable.styleLines);
  const replyLength =
    tuning.replyLength !== undefined && tunable.replyLength.includes(tuning.replyLength)
      ? tuning.replyLength
      : undefined;
  const emoji = tuning.emoji !== undefined && tunable.emoji.includes(tuning.emoji) ? tuning.emoji : undefined;
  if (replyLength === undefined && emoji === undefined && lines.length === 0) return persona;
  return {
    ...persona,
    ...(replyLength === undefined ? {} : { replyLength }),
    ...(emoji === undefined ? {} : { emoji }),
    ...(lines.length === 0 ? {} : { styleRules: [...persona.styleRules, ...lines] }),
  };
}

/** The parts of a tuning a persona does not allow, each with what it does allow; empty when it fits. */
export function tuningRefusals(persona: Persona, tuning: PersonaTuning): TuningLimit[] {
  const { tunable } = persona;
  const refusals: TuningLimit[] = [];
  if (tuning.replyLength !== undefined && !tunable.replyLength.includes(tuning.replyLength))
    refusals.push({ knob: 'replyLength', allowed: tunable.replyLength });
  if (tuning.emoji !== undefined && !tunable.emoji.includes(tuning.emoji))
    refusals.push({ knob: 'emoji', allowed: tunable.emoji });
  if ((tuning.styleLines?.length ?? 0) > tunable.styleLines)
    refusals.push({ knob: 'styleLines', allowed: tunable.styleLines });
  return refusals;
}

/** A refusal as the admin API says it: `personaTuning.emoji: Вася allows none, rare`. */
export function tuningRefusalText(persona: Persona, refusal: TuningLimit): string {
  const allowed =
    refusal.knob === 'styleLines'
      ? `at most ${refusal.allowed} style line${refusal.allowed === 1 ? '' : 's'} of a chat's own`
      : refusal.allowed.length === 0
        ? 'no change'
        : refusal.allowed.join(', ');
  return `personaTuning.${refusal.knob}: ${persona.name} allows ${allowed}`;
}
