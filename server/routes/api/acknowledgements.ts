import { z } from 'zod';
import { Router } from 'express';
import type { AcknowledgementService } from '../../services/acknowledgements.js';
import { idParams, parse } from '../validate.js';
import { createDoc, deleteDoc, deleteVersion, me } from '../crud.js';
import { doc } from '../../openapi/doc.js';
import * as R from '../../openapi/responses.js';
import * as S from '../../schemas.js';

/** Acknowledged warnings (SPEC section 16): GET|POST /api/acknowledgements, DELETE /api/acknowledgements/:id. */
export function acknowledgementRoutes(acks: AcknowledgementService): Router {
  const r = Router();
  r.get(
    '/acknowledgements',
    doc({ tag: 'planning', summary: 'Every acknowledged warning, with its reason and subject', response: { schema: z.array(R.Acknowledgement) } }),
    async (_req, res) => {
      res.json(await acks.list());
    },
  );
  r.post(
    '/acknowledgements',
    createDoc('planning', 'acknowledgement of a warning (planners)', S.AcknowledgementCreate, R.Acknowledgement),
    async (req, res) => {
      res.status(201).json(await acks.create(me(req), req.body));
    },
  );
  r.delete('/acknowledgements/:id', deleteDoc('planning', 'acknowledgement (the warning counts again)'), async (req, res) => {
    await acks.remove(me(req), parse(idParams, req.params).id, deleteVersion(req));
    res.status(204).end();
  });
  return r;
}
