export * from './dhip.js';
