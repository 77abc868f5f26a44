# kops keeps the desired state of every cluster in this bucket.
resource "aws_s3_bucket" "kops_state" {
  bucket = "vod-kops-state"
}

resource "aws_s3_bucket_versioning" "kops_state" {
  bucket = aws_s3_bucket.kops_state.id

  versioning_configuration {
    status = "Enabled"
  }
}

module "kops_dns" {
  source = "../modules/route53-zone"
  name   = "k8s.vod.example.org"
}
