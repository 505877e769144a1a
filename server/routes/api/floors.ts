import { PassThrough } from 'node:stream';
import { Router } from 'express';
import { z } from 'zod';
import type { FloorService } from '../../services/floors.js';
import type { ScenarioService } from '../../services/scenarios.js';
import { ROOM_COLUMNS, type RoomImport } from '../../services/room-import.js';
import type { CsvLimits } from '../../services/csv.js';
import { doc } from '../../openapi/doc.js';
import * as R from '../../openapi/responses.js';
import * as S from '../../schemas.js';
import { createDoc, deleteDoc, deleteVersion, me, updateDoc } from '../crud.js';
import { idParams, isoDate, optionalId, parse } from '../validate.js';

const stackQuery = z.object({ date: isoDate.optional(), scenario_id: optionalId });

/**
 * Floors, rooms and the stack plan (SPEC section 14): GET|POST /api/sites/:id/floors,
 * PATCH|DELETE /api/floors/:id, GET|POST /api/floors/:id/rooms, PATCH|DELETE /api/rooms/:id,
 * GET /api/sites/:id/stack. Who may write is decided in the service.
 */
export function floorRoutes(floors: FloorService, scenarios: ScenarioService, today: () => string): Router {
  const r = Router();
  r.get(
    '/sites/:id/floors',
    doc({
      tag: 'sites',
      summary: "A site's floors, top floor first, each with its rooms",
      params: idParams,
      response: { schema: z.array(R.FloorWithRooms) },
      errors: [404],
    }),
    async (req, res) => {
      res.json(await floors.ofSite(parse(idParams, req.params).id));
    },
  );
  r.post(
    '/sites/:id/floors',
    createDoc('sites', 'floor of the site (its base capacity becomes the sum of its floors)', S.FloorCreate, R.Floor, idParams),
    async (req, res) => {
      res.status(201).json(await floors.createFloor(me(req), parse(idParams, req.params).id, req.body));
    },
  );
  r.patch('/floors/:id', updateDoc('sites', 'floor', S.FloorPatch, R.Floor), async (req, res) => {
    res.json(await floors.updateFloor(me(req), parse(idParams, req.params).id, req.body));
  });
  r.delete('/floors/:id', deleteDoc('sites', 'floor (and its rooms; not while moves name it)'), async (req, res) => {
    await floors.deleteFloor(me(req), parse(idParams, req.params).id, deleteVersion(req));
    res.status(204).end();
  });
  r.get(
    '/floors/:id/rooms',
    doc({ tag: 'sites', summary: "A floor's rooms", params: idParams, response: { schema: z.array(R.Room) }, errors: [404] }),
    async (req, res) => {
      res.json(await floors.roomsOf(parse(idParams, req.params).id));
    },
  );
  r.post(
    '/floors/:id/rooms',
    createDoc('sites', "room of the floor (the floor's workplaces become the sum of its rooms)", S.RoomCreate, R.Room, idParams),
    async (req, res) => {
      res.status(201).json(await floors.createRoom(me(req), parse(idParams, req.params).id, req.body));
    },
  );
  r.patch('/rooms/:id', updateDoc('sites', 'room', S.RoomPatch, R.Room), async (req, res) => {
    res.json(await floors.updateRoom(me(req), parse(idParams, req.params).id, req.body));
  });
  r.delete('/rooms/:id', deleteDoc('sites', 'room'), async (req, res) => {
    await floors.deleteRoom(me(req), parse(idParams, req.params).id, deleteVersion(req));
    res.status(204).end();
  });
  r.get(
    '/sites/:id/stack',
    doc({
      tag: 'sites',
      summary: 'The stack plan of a site at a date: its floors top first with their units, workplaces and needed, and who is on no floor',
      params: idParams,
      query: stackQuery,
      response: { schema: R.Stack },
      errors: [404],
    }),
    async (req, res) => {
      const q = parse(stackQuery, req.query);
      const scenarioId = await scenarios.selection(q.scenario_id);
      res.json(await floors.stack(parse(idParams, req.params).id, q.date ?? today(), scenarioId));
    },
  );
  return r;
}

const roomImportQuery = z.object({
  dry_run: z.enum(['0', '1', 'true', 'false']).optional(),
  lang: z.enum(['de', 'en']).optional().meta({ description: "the language of the rows' messages (the import page sends its own); English without it" }),
});
const templateQuery = z.object({ sep: z.enum([';', ',']).default(';') });

/**
 * POST /api/import/rooms (the city's CAFM room list; all rows or none, missing floors created, with a
 * dry run) and its template. Mounted before the general imports, whose `:kind` it would otherwise be.
 */
export function roomImportRoutes(rooms: RoomImport, limits: CsvLimits): Router {
  const r = Router();
  r.get(
    '/import/rooms/template.csv',
    doc({
      tag: 'csv',
      summary: 'A room import file with the right columns and one example row',
      query: templateQuery,
      response: { schema: R.Csv, type: 'text/csv' },
    }),
    (req, res) => {
      const { name, body } = rooms.template(parse(templateQuery, req.query).sep);
      res.type('text/csv; charset=utf-8').attachment(name).send(body);
    },
  );
  r.post(
    '/import/rooms',
    doc({
      tag: 'csv',
      summary: `Import rooms from CSV (${ROOM_COLUMNS.join(';')}); missing floors are created; all rows or none`,
      query: roomImportQuery,
      body: R.Csv,
      bodyType: 'text/csv',
      write: true,
      response: { status: 201, description: 'imported (200 for a dry run)', schema: R.ImportResult },
      errors: [403, 413, 422],
    }),
    async (req, res) => {
      const q = parse(roomImportQuery, req.query);
      const pass = new PassThrough();
      try {
        req.pipe(pass);
        const result = await rooms.import(
          me(req),
          typeof req.body === 'string' ? req.body : pass,
          q.dry_run === '1' || q.dry_run === 'true',
          limits,
          q.lang ?? 'en',
        );
        res.status(result.dry_run ? 200 : 201).json(result);
      } finally {
        req.unpipe(pass);
        pass.destroy();
        req.resume();
      }
    },
  );
  return r;
}
