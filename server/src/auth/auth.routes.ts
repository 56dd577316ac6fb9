import { Router } from 'express';
import { LoginBody, RegisterBody } from '@booking/shared';
import { parseOrThrow } from '../transport/validate';
import type { AuthService } from './auth.service';

export function authRouter(auth: AuthService): Router {
  const router = Router();
  router.post('/api/auth/register', async (req, res) => {
    res.status(201).json(await auth.register(parseOrThrow(RegisterBody, req.body)));
  });
  router.post('/api/auth/login', async (req, res) => {
    res.status(200).json(await auth.login(parseOrThrow(LoginBody, req.body)));
  });
  return router;
}
