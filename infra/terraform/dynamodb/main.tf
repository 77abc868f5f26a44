# The user-preferences API moved from Cassandra to this table in April 2019.
resource "aws_dynamodb_table" "user_preferences" {
  name         = "user-preferences"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "user_id"
  range_key    = "key"

  attribute {
    name = "user_id"
    type = "S"
  }

  attribute {
    name = "key"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }
}
