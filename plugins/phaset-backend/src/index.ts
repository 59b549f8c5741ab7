export { phasetPlugin as default } from './plugin';
