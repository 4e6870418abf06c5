export * from './www-authenticate.js';
export * from './choose-challenge.js';
export * from './digest.js';
