// Command types are TypeScript types and vanish at run time, so each context also lists them as data (for the rule set
// of who may do what, and its spec). This type makes the compiler keep each list complete.

type Unlisted<All extends string, Listed extends readonly string[]> = Exclude<All, Listed[number]>;

/**
 * `true` when `Listed` names every member of `All`; otherwise the names it leaves out, so that
 * `const complete: ListsAll<Command['type'], typeof list> = true` fails to compile, naming them.
 */
export type ListsAll<All extends string, Listed extends readonly string[]> = [Unlisted<All, Listed>] extends [
  never,
]
  ? true
  : { unlisted: Unlisted<All, Listed> };
