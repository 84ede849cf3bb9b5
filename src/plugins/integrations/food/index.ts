export { foodPlugin } from './food-plugin.js';
