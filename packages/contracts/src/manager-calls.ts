// Being written (issue 4).
export {};
