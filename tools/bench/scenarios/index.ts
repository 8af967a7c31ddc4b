import { login } from './login';
import { loginInterference } from './login-interference';
import { me } from './me';
import { mixed } from './mixed';
import { orderPlace } from './order-place';
import { productGet } from './product-get';
import { productSearch } from './product-search';
import { Scenario } from './scenario';
import { ScenarioName } from './scenario-names';

export const SCENARIOS: Record<ScenarioName, Scenario> = {
  'product-get': productGet,
  'product-search': productSearch,
  me,
  'order-place': orderPlace,
  mixed,
  login,
  'login-interference': loginInterference,
};
