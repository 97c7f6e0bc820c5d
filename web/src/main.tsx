import { render } from 'preact';
import 'uplot/dist/uPlot.min.css';
import './styles/app.css';
import { App } from './app.js';
import { live } from './live/connection.js';
import { interceptLinks } from './router.js';

interceptLinks();
live.start();
render(<App />, document.getElementById('app')!);
