export { createGamesPlugin, type GamesOptions, gamesPlugin } from './games-plugin.js';
