/** The example's label wherever keybench names its key (apart from example.ts, so first paint need not load it). */
export const EXAMPLE_KEY_LABEL = 'sample key (made for this example, not stored)';
