export * from './username-token.js';
