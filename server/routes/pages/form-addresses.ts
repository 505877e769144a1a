/**
 * The addresses forms are sent to. A refused form is shown again at the address it was sent to (its
 * input kept, the messages next to the fields), so that address ends up in the browser's bar: reloading
 * it, bookmarking it or switching the language there asks it with GET. Such a GET goes to the page the
 * form lives on (its query, e.g. `?lang=en`, kept), never to „Seite nicht gefunden“.
 */
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../context.js';
import { pathId } from '../validate.js';

/** The page a form sent to `path` lives on, for the ids in the path. */
type PageOf = (req: Request) => Promise<string> | string;

const withQuery = (req: Request, page: string) => {
  const q = req.originalUrl.indexOf('?');
  const [path, anchor] = page.split('#');
  return `${path}${q >= 0 ? req.originalUrl.slice(q) : ''}${anchor ? `#${anchor}` : ''}`;
};

export function formAddresses(ctx: AppContext): Router {
  const r = Router();
  const { floors, leases } = ctx.services;
  const pages: Record<string, PageOf> = {
    '/account/password': () => '/account',
    '/users/:id': () => '/users',
    '/placement/apply': () => '/placement',
    '/scenarios/:id/edit': (req) => `/scenarios/${pathId(req.params)}`,
    '/scenarios/:id/shift': (req) => `/scenarios/${pathId(req.params)}`,
    '/scenarios/:id/duplicate': (req) => `/scenarios/${pathId(req.params)}`,
    '/sites/:id/events': (req) => `/sites/${pathId(req.params)}#events`,
    '/sites/:id/verify': (req) => `/sites/${pathId(req.params)}`,
    '/sites/:id/floor-move': (req) => `/sites/${pathId(req.params)}#stack`,
    '/floors/:id/edit': async (req) => {
      const id = pathId(req.params);
      return `/sites/${(await floors.floor(id)).site_id}/floors#floor-${id}`;
    },
    '/floors/:id/rooms': async (req) => {
      const id = pathId(req.params);
      return `/sites/${(await floors.floor(id)).site_id}/floors#floor-${id}`;
    },
    '/moves/:id/status': (req) => `/moves?highlight=${pathId(req.params)}#move-${pathId(req.params)}`,
    '/projects/:id/delete': (req) => `/projects/${pathId(req.params)}`,
    '/sites/:id/events/:eventId/delete': (req) => `/sites/${pathId(req.params)}#events`,
    '/scenarios/:id/overrides/:kind/:target/reset': (req) => `/scenarios/${pathId(req.params)}#overrides`,
    '/leases/:id/delete': async (req) => `/sites/${(await leases.get(pathId(req.params))).site_id}#leases`,
    // an acknowledgement is withdrawn where its warning is shown: the map
    '/acknowledgements/:id/delete': () => '/',
    '/logout': () => '/',
    '/rooms/:id/edit': async (req) => {
      const room = await floors.room(pathId(req.params));
      return `/sites/${(await floors.floor(room.floor_id)).site_id}/floors#room-${room.id}`;
    },
  };
  for (const [path, pageOf] of Object.entries(pages))
    r.get(path, async (req: Request, res: Response) => {
      res.redirect(303, withQuery(req, await pageOf(req)));
    });
  return r;
}
