export * from './http-message.js';
