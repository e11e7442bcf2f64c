/**
 * English number words as speech recognisers write them: "three" → 3, "twenty one" → 21, "one hundred and five" → 105,
 * "twenty first" → 21st. A unit or teen followed by a tens word stays two numbers ("three thirty" → 3 30), which is how
 * times and years are spoken.
 */

// prettier-ignore
const UNITS: Readonly<Record<string, number>> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18,
  nineteen: 19,
};

// prettier-ignore
const TENS: Readonly<Record<string, number>> = {
  twenty: 20, thirty: 30, forty: 40, fourty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};

// prettier-ignore
const ORDINAL_UNITS: Readonly<Record<string, number>> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10,
  eleventh: 11, twelfth: 12, thirteenth: 13, fourteenth: 14, fifteenth: 15, sixteenth: 16, seventeenth: 17,
  eighteenth: 18, nineteenth: 19,
};

const ORDINAL_TENS: Readonly<Record<string, number>> = { twentieth: 20, thirtieth: 30 };

interface Parsed {
  value: number;
  ordinal: boolean;
  /** Tokens consumed. */
  length: number;
}

function unitOf(token: string | undefined): number | undefined {
  return token === undefined ? undefined : UNITS[token];
}

/** Parses the longest number phrase starting at `tokens[i]`. */
function parseAt(tokens: readonly string[], i: number, ordinals: boolean): Parsed | undefined {
  const first = tokens[i];
  if (first === undefined) return undefined;
  if (ordinals && ORDINAL_UNITS[first] !== undefined)
    return { value: ORDINAL_UNITS[first], ordinal: true, length: 1 };
  if (ordinals && ORDINAL_TENS[first] !== undefined)
    return { value: ORDINAL_TENS[first], ordinal: true, length: 1 };
  const tens = TENS[first];
  if (tens !== undefined) {
    const next = tokens[i + 1];
    const unit = unitOf(next);
    if (unit !== undefined && unit >= 1 && unit <= 9)
      return { value: tens + unit, ordinal: false, length: 2 };
    const ordinalUnit = ordinals && next !== undefined ? ORDINAL_UNITS[next] : undefined;
    if (ordinalUnit !== undefined && ordinalUnit <= 9)
      return { value: tens + ordinalUnit, ordinal: true, length: 2 };
    return { value: tens, ordinal: false, length: 1 };
  }
  const unit = unitOf(first) ?? (first === 'a' && tokens[i + 1] === 'hundred' ? 1 : undefined);
  if (unit === undefined) return undefined;
  if (tokens[i + 1] !== 'hundred') return { value: unit, ordinal: false, length: 1 };
  let value = unit * 100;
  let length = 2;
  if (tokens[i + length] === 'and') length += 1;
  const rest = parseAt(tokens, i + length, ordinals);
  if (rest !== undefined && rest.value < 100) {
    value += rest.value;
    length += rest.length;
    return { value, ordinal: rest.ordinal, length };
  }
  // "one hundred and" with nothing after it: leave the "and".
  return { value, ordinal: false, length: 2 };
}

/** The number a whole phrase spells ("forty two", "42", "3.5"), or undefined. */
export function parseNumberPhrase(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (/^[+-]?\d+(?:\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const tokens = trimmed.split(/[\s-]+/).filter((t) => t !== '');
  if (tokens.length === 0) return undefined;
  const parsed = parseAt(tokens, 0, false);
  return parsed !== undefined && parsed.length === tokens.length ? parsed.value : undefined;
}

/**
 * Replaces number words (any case) by digits, token by token ("at three thirty pm" → "at 3 30 pm"). With
 * `ordinals`, ordinal words become `21st`-style tokens.
 */
export function replaceNumberWords(text: string, options: { ordinals?: boolean } = {}): string {
  const tokens = text.split(/\s+/).filter((t) => t !== '');
  const lower = tokens.map((t) => t.toLowerCase());
  const out: string[] = [];
  for (let i = 0; i < tokens.length;) {
    const parsed = parseAt(lower, i, options.ordinals === true);
    if (parsed === undefined) {
      out.push(tokens[i]!);
      i += 1;
      continue;
    }
    out.push(
      parsed.ordinal ? `${parsed.value}${ordinalSuffix(parsed.value)}` : String(parsed.value),
    );
    i += parsed.length;
  }
  return out.join(' ');
}

function ordinalSuffix(n: number): string {
  const lastTwo = n % 100;
  if (lastTwo >= 11 && lastTwo <= 13) return 'th';
  return n % 10 === 1 ? 'st' : n % 10 === 2 ? 'nd' : n % 10 === 3 ? 'rd' : 'th';
}
