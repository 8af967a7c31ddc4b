import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toProblem } from '@app/common/errors';

/** Every error a route throws leaves the gateway as problem+json (see toProblem). */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly log = new Logger(ProblemFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    sendProblem(http.getResponse<FastifyReply>(), exception, request.id, this.log);
  }
}

export function sendProblem(reply: FastifyReply, error: unknown, requestId: string, log: Logger): void {
  const problem = toProblem(error, requestId);
  if (problem.status >= 500) {
    log.error({ err: error, status: problem.status, code: problem.body.code }, 'Request failed');
  }
  void reply.status(problem.status).headers(problem.headers).send(problem.body);
}
