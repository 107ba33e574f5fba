export { parseArticle, idFromPath, sectionHash, type ParseArticleOptions } from './parse.js';
export { readArticles, listMarkdownFiles, type ReadArticlesOptions, type ReadArticlesResult } from './read.js';
