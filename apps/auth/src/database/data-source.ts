import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { typeormOptions } from '@app/common/database';
import { validateEnv } from '@app/common/config';
import { AuthEnv } from '../config/auth.env';
import { authSchema } from './auth.schema';

/** For the TypeORM CLI (migration:generate / migration:run): reads the same validated env as the service. */
export default new DataSource(typeormOptions(validateEnv(AuthEnv), authSchema));
