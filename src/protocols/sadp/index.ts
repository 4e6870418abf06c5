export * from './sadp.js';
