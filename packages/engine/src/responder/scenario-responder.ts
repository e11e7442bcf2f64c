import type { LoadedScenario, ScenarioResponderOptions } from '../scenario/index.js';
import { ScenarioResponder } from '../scenario/index.js';
import type { Reply, Responder } from './responder.js';

/** A session's responder backed by a scenario file (one per session: `replies:` rotate per session). */
export function createScenarioResponder(
  scenario: LoadedScenario,
  options: ScenarioResponderOptions = {},
): Responder {
  const scenarioResponder = new ScenarioResponder(scenario, options);
  return {
    reply(request): Reply {
      const selection = scenarioResponder.select({
        text: request.text,
        turn: request.turn,
        modalities: request.modalities,
        responseIndex: request.responseIndex,
        toolNames: request.toolNames,
        ...(request.toolChoice ? { toolChoice: request.toolChoice } : {}),
        ...(request.functionOutput ? { functionOutput: request.functionOutput } : {}),
      });
      return { ...selection.reply, source: selection.responseId };
    },
  };
}
