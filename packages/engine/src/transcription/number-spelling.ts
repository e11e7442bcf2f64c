/**
 * Spells digits out as a speaker says them ("7" → "seven", "21st" → "twenty first", "7:30" → "seven thirty"), so
 * grammar phrases written with digits match what a recogniser hears.
 */

// prettier-ignore
const UNITS = [
  'zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve',
  'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen',
] as const;
// prettier-ignore
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'] as const;
// prettier-ignore
const ORDINAL_WORDS: Readonly<Record<string, string>> = {
  one: 'first', two: 'second', three: 'third', four: 'fourth', five: 'fifth', six: 'sixth', seven: 'seventh',
  eight: 'eighth', nine: 'ninth', ten: 'tenth', eleven: 'eleventh', twelve: 'twelfth', thirteen: 'thirteenth',
  fourteen: 'fourteenth', fifteen: 'fifteenth', sixteen: 'sixteenth', seventeen: 'seventeenth',
  eighteen: 'eighteenth', nineteen: 'nineteenth', twenty: 'twentieth', thirty: 'thirtieth', forty: 'fortieth',
  fifty: 'fiftieth', sixty: 'sixtieth', seventy: 'seventieth', eighty: 'eightieth', ninety: 'ninetieth',
  hundred: 'hundredth', thousand: 'thousandth', million: 'millionth',
};

function below100(n: number): string[] {
  if (n < 20) return [UNITS[n]!];
  const tens = TENS[Math.floor(n / 10)]!;
  return n % 10 === 0 ? [tens] : [tens, UNITS[n % 10]!];
}

function below1000(n: number): string[] {
  if (n < 100) return below100(n);
  const rest = n % 100;
  return [UNITS[Math.floor(n / 100)]!, 'hundred', ...(rest === 0 ? [] : below100(rest))];
}

/** English words for a whole number from 0 to 999 999 999 ("1205" → "one thousand two hundred five"). */
export function spellCardinal(n: number): string[] {
  if (!Number.isInteger(n) || n < 0 || n >= 1e9) return [String(n)];
  if (n < 1000) return below1000(n);
  const out: string[] = [];
  const millions = Math.floor(n / 1e6);
  const thousands = Math.floor((n % 1e6) / 1000);
  const rest = n % 1000;
  if (millions > 0) out.push(...below1000(millions), 'million');
  if (thousands > 0) out.push(...below1000(thousands), 'thousand');
  if (rest > 0) out.push(...below1000(rest));
  return out;
}

/** English words for an ordinal ("21" → "twenty first"). */
export function spellOrdinal(n: number): string[] {
  const cardinal = spellCardinal(n);
  const last = cardinal.at(-1);
  const ordinal = last === undefined ? undefined : ORDINAL_WORDS[last];
  return ordinal === undefined ? cardinal : [...cardinal.slice(0, -1), ordinal];
}

/** Spells one token that contains digits; returns it unchanged when it is not a number form this knows. */
export function spellNumberToken(token: string): string[] {
  const time = /^(\d{1,2}):(\d{2})$/.exec(token);
  if (time !== null) {
    const hours = Number(time[1]);
    const minutes = Number(time[2]);
    if (minutes === 0) return [...spellCardinal(hours), "o'clock"];
    return [...spellCardinal(hours), ...(minutes < 10 ? ['oh'] : []), ...spellCardinal(minutes)];
  }
  const ordinal = /^(\d+)(?:st|nd|rd|th)$/.exec(token);
  if (ordinal !== null) return spellOrdinal(Number(ordinal[1]));
  if (/^\d+$/.test(token)) return spellCardinal(Number(token));
  const decimal = /^(\d+)\.(\d+)$/.exec(token);
  if (decimal !== null) {
    const digits = [...decimal[2]!].map((d) => UNITS[Number(d)]!);
    return [...spellCardinal(Number(decimal[1])), 'point', ...digits];
  }
  return [token];
}
