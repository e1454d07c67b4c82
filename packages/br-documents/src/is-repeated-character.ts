/** True when every character of `value` is the same one (the registries reject "111.111.111-11" and the like). */
export function isRepeatedCharacter(value: string): boolean {
  return value.length > 0 && [...value].every((char) => char === value[0]);
}
