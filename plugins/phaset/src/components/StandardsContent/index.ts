export { StandardsContent } from './StandardsContent';
