/**
 * Just enough PromQL reading for the checks: which metric names an expression selects, and whether
 * each of their selectors has a given matcher. Not a parser: it relies on selectors written as
 * `name{...}` or a bare name, and on label lists only after by/without/on/ignoring/group_*.
 */
const AGGREGATIONS = [
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
];
const KEYWORDS = [
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
];
const NOT_METRICS = new Set([...AGGREGATIONS, ...KEYWORDS, 'inf', 'nan', 'Inf', 'NaN']);

function withoutStringsAndRanges(expr: string): string {
  return expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '$1');
}

/** Metric names an expression selects (function and aggregation names excluded). */
export function metricNamesIn(expr: string): string[] {
  const text = withoutStringsAndRanges(expr).replace(/\{[^}]*\}/g, ' ');
  const names = [...text.matchAll(/(?<![\w.$])([a-zA-Z_:][\w:]*)(\s*\()?/g)]
    .filter((match) => match[2] === undefined) // a name followed by "(" is a function call
    .map((match) => match[1])
    .filter((name) => !NOT_METRICS.has(name));
  return [...new Set(names)];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Occurrences of `metric` in `expr` that don't select `matcher` (a bare name counts as one). */
export function occurrencesWithout(expr: string, metric: string, matcher: string): number {
  const name = escapeRegExp(metric);
  const all = expr.match(new RegExp(`(?<![\\w:])${name}(?![\\w:])`, 'g'))?.length ?? 0;
  const scoped = expr.match(new RegExp(`(?<![\\w:])${name}\\{[^}]*${escapeRegExp(matcher)}[^}]*\\}`, 'g'))?.length ?? 0;
  return all - scoped;
}
