export * from './dhip.js';
export * from './constants.js';
