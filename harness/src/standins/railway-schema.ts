// The part of Railway's public GraphQL schema promotion uses, in the schema's own
// names and shapes (types as the CLI's introspected schema has them).
import { buildSchema } from 'graphql';

export const railwaySchema = buildSchema(`
  scalar JSON
  enum DeploymentStatus { BUILDING CRASHED DEPLOYING FAILED INITIALIZING NEEDS_APPROVAL QUEUED REMOVED REMOVING SKIPPED SLEEPING SUCCESS WAITING }
  enum RestartPolicyType { ON_FAILURE ALWAYS NEVER }
  type Deployment {
    id: String!
    status: DeploymentStatus!
    createdAt: String!
    meta: JSON
    canRollback: Boolean!
    serviceId: String!
    environmentId: String!
    url: String
    staticUrl: String
  }
  type DeploymentEdge { node: Deployment! cursor: String! }
  type DeploymentConnection { edges: [DeploymentEdge!]! }
  input DeploymentStatusInput { in: [DeploymentStatus!] notIn: [DeploymentStatus!] }
  input DeploymentListInput { projectId: String environmentId: String serviceId: String includeDeleted: Boolean status: DeploymentStatusInput }
  type ServiceSource { image: String repo: String }
  type ServiceDomain { domain: String! }
  type CustomDomain { domain: String! }
  type AllDomains { serviceDomains: [ServiceDomain!]! customDomains: [CustomDomain!]! }
  type ServiceInstance {
    id: String!
    serviceId: String!
    environmentId: String!
    source: ServiceSource
    domains: AllDomains!
    startCommand: String
    preDeployCommand: JSON
    healthcheckPath: String
    healthcheckTimeout: Int
    numReplicas: Int
    restartPolicyType: RestartPolicyType
    restartPolicyMaxRetries: Int
    latestDeployment: Deployment
  }
  input ServiceSourceInput { image: String repo: String }
  input ServiceInstanceUpdateInput {
    source: ServiceSourceInput
    startCommand: String
    preDeployCommand: [String!]
    healthcheckPath: String
    healthcheckTimeout: Int
    numReplicas: Int
    restartPolicyType: RestartPolicyType
    restartPolicyMaxRetries: Int
    region: String
  }
  input VariableCollectionUpsertInput {
    projectId: String!
    environmentId: String!
    serviceId: String
    variables: JSON!
    replace: Boolean
    skipDeploys: Boolean
  }
  type Query {
    deployment(id: String!): Deployment!
    deployments(first: Int, input: DeploymentListInput!): DeploymentConnection!
    serviceInstance(serviceId: String!, environmentId: String!): ServiceInstance!
  }
  type Mutation {
    serviceInstanceUpdate(serviceId: String!, environmentId: String, input: ServiceInstanceUpdateInput!): Boolean!
    serviceInstanceDeployV2(serviceId: String!, environmentId: String!, commitSha: String): String!
    deploymentRollback(id: String!): Boolean!
    variableCollectionUpsert(input: VariableCollectionUpsertInput!): Boolean!
  }
`);
