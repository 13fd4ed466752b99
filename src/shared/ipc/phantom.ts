/** A phantom marker: carries a type, holds nothing at run time (the contract's results and payloads). */
export const type = <T>(): T => undefined as T;
