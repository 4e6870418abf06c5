export * from './sadp.js';
export * from './constants.js';
