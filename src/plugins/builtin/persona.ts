import { findPersona, type Persona, type PersonaCatalog, personaId, phrasebookFor } from '../../chat/index.js';
import { definePlugin } from '../define-plugin.js';

const line = (persona: Persona) => ({ name: persona.name, id: personaId(persona) });

/**
 * `/persona`: who the bot is in this chat and who else it can be; `/persona
 * <name>` switches (the chat's admins only; anyone in a private chat). The
 * chat answers to the new persona's names from its next message on.
 */
export function personaPlugin(catalog: PersonaCatalog) {
  return definePlugin({
    name: 'persona',
    version: '1.0.0',
    kind: 'command',
    description: { en: 'Who I am in this chat', ru: 'Кто я в этом чате', uk: 'Хто я в цьому чаті' },
    setup(p) {
      p.command(
        'persona',
        async (ctx) => {
          const say = phrasebookFor(ctx.language);
          const available = catalog.personas.map(line);
          const typed = ctx.args.trim();
          if (typed === '') {
            const chosen = ctx.chat.settings().persona;
            const current =
              (chosen === undefined ? undefined : findPersona(catalog, chosen)) ??
              (findPersona(catalog, catalog.defaultName) as Persona);
            return say.personaIs(line(current), available);
          }
          const persona = findPersona(catalog, typed);
          if (persona === undefined) return say.personaUnknown(typed.slice(0, 40), available);
          if (ctx.chatKind !== 'private' && !(await ctx.isAdmin())) return say.personaAdminsOnly();
          ctx.changeSettings({ persona: persona.name });
          return say.personaSet(line(persona));
        },
        {
          description: {
            en: 'who I am here; /persona <name> switches (admins only)',
            ru: 'кто я здесь; /persona <имя> меняет (только админы)',
            uk: 'хто я тут; /persona <ім’я> змінює (лише адміни)',
          },
          args: '[name]',
        },
      );
    },
  });
}
